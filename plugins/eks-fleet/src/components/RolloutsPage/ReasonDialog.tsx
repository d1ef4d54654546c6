/*
 * Copyright 2026 The EKS Fleet Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import { useState } from 'react';

/** What a person is about to do, asked with its reason for the event log. */
export interface ReasonRequest {
  title: string;
  description: string;
  confirm: string;
  run: (reason: string) => void;
}

/** Asks why before a skip or an early end; nothing happens without a reason. */
export function ReasonDialog(props: {
  request?: ReasonRequest;
  onClose: () => void;
}) {
  const [reason, setReason] = useState('');
  const { request } = props;
  const close = () => {
    setReason('');
    props.onClose();
  };
  return (
    <Dialog open={Boolean(request)} onClose={close} fullWidth maxWidth="sm">
      {request && (
        <form
          onSubmit={e => {
            e.preventDefault();
            if (reason.trim()) {
              request.run(reason.trim());
              close();
            }
          }}
        >
          <DialogTitle>{request.title}</DialogTitle>
          <DialogContent>
            <DialogContentText>{request.description}</DialogContentText>
            <TextField
              required
              fullWidth
              margin="dense"
              label="Why? (kept in the event log)"
              value={reason}
              onChange={e => setReason(e.target.value)}
              inputProps={{ maxLength: 1000 }}
            />
          </DialogContent>
          <DialogActions>
            <Button onClick={close}>Cancel</Button>
            <Button type="submit" variant="contained" disabled={!reason.trim()}>
              {request.confirm}
            </Button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  );
}
